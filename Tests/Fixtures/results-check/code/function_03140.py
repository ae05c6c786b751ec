def clear_session_cookies(self):
    self._cookies_lock.acquire()
    try:
        for cookie in self:
            if cookie.discard:
                self.clear(cookie.domain, cookie.path, cookie.name)
    finally:
        self._cookies_lock.release()
