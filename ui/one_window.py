"""One window per person and database: the program started again on a database a window already shows brings that
window to the front instead of opening a second one exactly over it (a double click that seemed to do nothing, then
another; two windows on one file, one of them behind and out of date until its watch caught up)."""

from __future__ import annotations

import getpass
import hashlib
import os

from PySide6.QtCore import QObject, Qt
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from tracker.logs import log

ASK = b"show\n"
_WAIT_MS = 500  # a running window answers at once; one that hangs is not waited for: a new window opens


def channel_name(database: str) -> str:
    """The local socket (a named pipe on Windows) of this person's window on this database: the same path written
    otherwise («..\\plan.db», another case on Windows) is the same database."""
    if "://" not in database:
        database = os.path.normcase(os.path.realpath(database))
    key = f"{getpass.getuser()}\n{database}".encode("utf-8", "surrogatepass")
    return "lutsk-tracker-" + hashlib.sha256(key).hexdigest()[:24]


def shown_elsewhere(database: str) -> bool:
    """Asks a window of this person showing ``database`` to come to the front; True when one did."""
    socket = QLocalSocket()
    socket.connectToServer(channel_name(database))
    if not socket.waitForConnected(_WAIT_MS):
        return False
    socket.write(ASK)
    answered = socket.waitForBytesWritten(_WAIT_MS) and socket.waitForReadyRead(_WAIT_MS) and socket.readAll() == ASK
    socket.disconnectFromServer()
    if answered:
        log.info("already shown in another window: brought it to the front")
    return bool(answered)


def _answered(name: str) -> bool:
    socket = QLocalSocket()
    socket.connectToServer(name)
    connected = socket.waitForConnected(_WAIT_MS // 5)
    socket.abort()
    return connected


class OneWindow(QObject):
    """The window's end of the channel: listens under the name of the database it shows — from the start, before the
    window is made (a second start while the first asks who works here ends, the first's question on the screen) —
    follows it when another database is opened in the window, and brings the window to the front when asked."""

    def __init__(self, window=None):
        super().__init__(window)
        self.window = window
        self.server: QLocalServer | None = None
        self.name = ""

    def attach(self, window) -> None:
        """The window made: the one brought forward from now on."""
        self.window = window
        self.setParent(window)

    def follow(self, database: str) -> None:
        name = channel_name(database)
        if name == self.name:
            return
        self.close()
        if _answered(name):
            # another window of this person shows this database too (opened in it later): that one stays the one
            # a start brings forward — listening again under its name had taken the channel from it (on Linux the
            # second listen replaced its socket file)
            log.info("window channel kept by another window on the same database")
            return
        QLocalServer.removeServer(name)  # a channel left by a window that crashed (a socket file), nobody answering
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)  # this person's alone
        if not server.listen(name):
            log.info("window channel not opened: %s", server.errorString())
            server.deleteLater()
            return
        server.newConnection.connect(self._answer)
        self.server, self.name = server, name

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server.deleteLater()
        self.server, self.name = None, ""

    def _answer(self) -> None:
        while self.server is not None and (socket := self.server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda socket=socket: self._read(socket))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if socket.readAll() != ASK:
            socket.disconnectFromServer()
            return
        window = self.window
        if window is None:  # still starting (asking who works here): the start asking ends, this one goes on
            socket.write(ASK)
            socket.flush()
            return
        if window.isMinimized():
            window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()
        socket.write(ASK)
        socket.flush()
