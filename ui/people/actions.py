"""Файл → Користувачі… (the server database's admin only) and the status bar's «who is logged in»."""

from __future__ import annotations

from tracker.access.rights import current_rights, may, refusal

from .. import dialogs
from ..i18n import N_, tr
from .users_dialog import UsersDialog


class PeopleActions:
    def __init__(self, window):
        self.window = window
        self.users_action = window.make_action(None, self.show_users)
        self.users_action.setVisible(False)

    def texts(self) -> list:
        return [(self.users_action, N_("&Користувачі…"))]

    def show_users(self) -> None:
        if current_rights().may_manage_users:
            dialogs.run_dialog(UsersDialog(self.window))

    def show_login(self, label, author: str) -> None:
        """The status bar's user: the name typed; on the server, the login and role too (and the menu for admins).
        The commands the login's role does not include are greyed out, their reason in the tooltip."""
        rights = current_rights()
        self.users_action.setVisible(rights.may_manage_users)
        window = self.window
        for work, actions in (("plan", [window.plan_changes.import_action]),
                              ("exchange", [window.exchange.export_action, window.exchange.import_action]),
                              ("reports", [window.reports.import_action, window.reports.import_folder_action])):
            allowed = may(work)
            for action in actions:
                action.setEnabled(allowed)
                action.setToolTip("" if allowed else refusal(work))
        if not rights.on_server:
            label.setText(tr("Користувач: {name}", name=author or "—"))
            label.setToolTip("")
            return
        label.setText(tr("Користувач: {login} ({role})", login=rights.login, role=rights.role_label))
        label.setToolTip(tr("Вхід на сервер: {who}. В історію змін записується цей логін (його ставить сервер) "
                            "і ім'я «{name}».", who=rights.describe(), name=author or "—"))
