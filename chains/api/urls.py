from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("clusters", views.ClusterViewSet, basename="cluster")
router.register("chains", views.ChainViewSet, basename="chain")
router.register("chain-nodes", views.ChainNodeViewSet, basename="chain-node")
router.register("leaders", views.LeaderViewSet, basename="leader")
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")

urlpatterns = router.urls
