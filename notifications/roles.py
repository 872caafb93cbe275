"""What each role may do with notifications: everyone manages their own inbox and channels; bureau staff the units'.

Nobody reads another person's notifications through a role (``EVERY_ROLE_READS`` off): the inbox, the
API and the channel pages select the user's own rows (``notifications.selectors``). A unit's channels
(its group robots) are the bureau's: ``notifications.change_channel`` and friends, held by bureau staff,
who also read the delivery log in the admin.
"""

from pinghu.permissions import Role, manage

ROLE_PERMISSIONS = {
    Role.BUREAU_STAFF: [
        *manage("notifications.channel"),
        "notifications.view_channel",
        "notifications.view_delivery",
        "notifications.view_digest",
    ],
}
