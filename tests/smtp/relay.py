"""A real SMTP relay for the backend's mail tests (aiosmtpd).

Listens on 127.0.0.1:PORT with STARTTLS (required), implicit TLS or no TLS, optionally
requires AUTH (LOGIN/PLAIN, over TLS only), can refuse recipients, and writes every
delivered message to OUT/N.eml together with OUT/N.json: the message parsed by Python's
standard `email` package (decoded headers and text), the envelope and the session.
Prints `ready` once it accepts connections; stops when its standard input closes.
"""

import argparse
import json
import logging
import os
import ssl
import sys
import warnings
from email import policy
from email.parser import BytesParser

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, out, refuse_suffix):
        self.out = out
        self.refuse_suffix = refuse_suffix
        self.count = 0
        self.noops = 0

    async def handle_NOOP(self, server, session, envelope, arg):
        # Counted, so a test can tell how often the server checked the relay.
        self.noops += 1
        with open(os.path.join(self.out, "noops.tmp"), "w", encoding="utf-8") as f:
            f.write(str(self.noops))
        os.replace(os.path.join(self.out, "noops.tmp"), os.path.join(self.out, "noops"))
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_suffix and address.endswith(self.refuse_suffix):
            # Real relays quote the address in their reply; the server must not log it.
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        msg = BytesParser(policy=policy.default).parsebytes(raw)
        part = msg.get_body(preferencelist=("plain",))
        parsed = {
            "subject": str(msg["Subject"]),
            "from": str(msg["From"]),
            "to": str(msg["To"]),
            "date": str(msg["Date"]),
            "date_parsed": msg["Date"].datetime.isoformat() if msg["Date"] and msg["Date"].datetime else None,
            "message_id": str(msg["Message-ID"]),
            "mime_version": str(msg["MIME-Version"]),
            "content_type": part.get_content_type() if part else None,
            "charset": part.get_content_charset() if part else None,
            "transfer_encoding": str(part["Content-Transfer-Encoding"]) if part else None,
            "text": part.get_content() if part else None,
            "header_defects": [type(d).__name__ for d in msg.defects],
            "headers_ascii": all(ord(c) < 128 for c in raw.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace")),
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
            "login": session.auth_data if isinstance(session.auth_data, str) else None,
        }
        self.count += 1
        base = os.path.join(self.out, f"{self.count:04d}")
        with open(base + ".eml.tmp", "wb") as f:
            f.write(raw)
        os.replace(base + ".eml.tmp", base + ".eml")
        with open(base + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(parsed, f, ensure_ascii=False)
        os.replace(base + ".json.tmp", base + ".json")
        return "250 Message accepted for delivery"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--security", choices=["starttls", "tls", "none"], default="starttls")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--auth-user")
    p.add_argument("--auth-password-env", help="name of the environment variable holding the password")
    p.add_argument("--refuse-recipient-suffix")
    p.add_argument("--out", required=True)
    a = p.parse_args()

    ctx = None
    if a.security != "none":
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.cert, a.key)

    kwargs = {}
    if a.auth_user:
        password = os.environ[a.auth_password_env]

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == a.auth_user and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False, auth_data=auth_data.login.decode() if ok else None)

        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=True)

    handler = Handler(a.out, a.refuse_recipient_suffix)
    if a.security == "starttls":
        controller = Controller(handler, hostname="127.0.0.1", port=a.port, tls_context=ctx, require_starttls=True, server_hostname="localhost", **kwargs)
    elif a.security == "tls":
        # Implicit TLS: every session is encrypted from the first byte, so AUTH is offered.
        kwargs["auth_require_tls"] = False
        warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
        logging.getLogger("mail.log").setLevel(logging.ERROR)
        controller = Controller(handler, hostname="127.0.0.1", port=a.port, ssl_context=ctx, server_hostname="localhost", **kwargs)
    else:
        controller = Controller(handler, hostname="127.0.0.1", port=a.port, auth_require_tls=False, server_hostname="localhost",
                                **{k: v for k, v in kwargs.items() if k != "auth_require_tls"})
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
