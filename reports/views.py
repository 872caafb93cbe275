"""Pages of period reports (placeholder while the pages are written)."""

from django.http import HttpResponse


def report_list(request):
    return HttpResponse("")


report_new = report_detail = report_xlsx = report_list


def report_step(request, pk, step):
    return HttpResponse("")
