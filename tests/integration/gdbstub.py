"""A minimal client of QEMU's gdbstub (the GDB remote serial protocol): enough to stop the
hypervisor at a breakpoint and change its memory, as a stray write would."""

import socket
import time


class GdbStub:
    def __init__(self, port, timeout=20.0):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.buf = b""
        self.command("QStartNoAckMode", ack=True)

    def close(self):
        self.sock.close()

    def _send(self, data: str):
        payload = data.encode()
        self.sock.sendall(b"$%s#%02x" % (payload, sum(payload) & 0xFF))

    def _packet(self, ack=False):
        """The next packet's payload (acknowledging it when acks are still on)."""
        while True:
            start = self.buf.find(b"$")
            end = self.buf.find(b"#", start)
            if start >= 0 and end >= 0 and len(self.buf) >= end + 3:
                payload = self.buf[start + 1:end].decode()
                self.buf = self.buf[end + 3:]
                if ack:
                    self.sock.sendall(b"+")
                return payload
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("gdbstub closed the connection")
            self.buf += chunk

    def command(self, data, ack=False):
        self._send(data)
        return self._packet(ack)

    def breakpoint(self, addr):
        reply = self.command(f"Z0,{addr:x},4")
        if reply != "OK":
            raise RuntimeError(f"breakpoint at {addr:#x} refused: {reply!r}")

    def remove_breakpoint(self, addr):
        reply = self.command(f"z0,{addr:x},4")
        if reply != "OK":
            raise RuntimeError(f"breakpoint at {addr:#x} not removed: {reply!r}")

    def cont(self):
        """Continue and wait for the next stop."""
        reply = self.command("c")
        if not reply.startswith(("T", "S")):
            raise RuntimeError(f"unexpected stop reply {reply!r}")
        return reply

    def resume(self):
        """Continue without waiting (the run ends by itself). QEMU stops again at once on
        a breakpoint at the current pc: remove it first."""
        self._send("c")

    def read_u32(self, addr):
        reply = self.command(f"m{addr:x},4")
        return int.from_bytes(bytes.fromhex(reply), "little")

    def write_u32(self, addr, value):
        data = (value & 0xFFFFFFFF).to_bytes(4, "little").hex()
        reply = self.command(f"M{addr:x},4:{data}")
        if reply != "OK":
            raise RuntimeError(f"write at {addr:#x} refused: {reply!r}")
