"""Python peers for the picklejar-net tests: multiprocessing.connection clients and listeners.

Every mode prints one result line (or 'error <Type>: <message>') and exits 0; the Java tests read it.
  client HOST PORT KEY N          send N varied objects, check that each echo equals what was sent
  pipelined HOST PORT KEY N       send N small objects, then read N echoes
  listener KEY                    listen on port 0, print 'port P'; accept one connection; reply to
                                  each object with ('ack', repr(object)) until 'bye' or EOF
  concurrent HOST PORT KEY C M    C threads, each its own connection sending M messages
  hostile HOST PORT KEY CASE      misbehave (see below), then print 'done'
  unix-client PATH KEY N          like client, over a unix socket
Options: --gen 3.12 speaks the handshake of Python 3.12+ (handshake312.py); --digest NAME picks what
its challenge asks for.
"""
import argparse
import datetime
import decimal
import os
import pickle
import socket
import struct
import sys
import threading
import uuid
from multiprocessing.connection import Client, Listener, AuthenticationError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import handshake312  # noqa: E402


def samples(n):
    base = [
        None, True, 0, -1, 2**31, 2**64 + 1, 1.5, float('inf'), 'text', 'Korean 한국어 and 🐍', b'\x00\xff',
        bytearray(b'ba'), (1, 'two', 3.0), [1, [2, [3]]], {'a': 1, 'b': [1, 2]}, {1, 2, 3}, frozenset({'x'}),
        {(1, 2): 'tuple key'}, complex(1, -2), datetime.datetime(2024, 2, 29, 12, 30, 1, 500),
        datetime.date(2000, 1, 1), datetime.timedelta(days=1, microseconds=3), decimal.Decimal('1.10'),
        uuid.UUID('12345678-1234-5678-1234-567812345678'), 'x' * 100_000, list(range(2000)),
    ]
    return [base[i % len(base)] if i < len(base) else (i, base[i % len(base)]) for i in range(n)]


def same(a, b):
    # float('nan') is not in the samples, so == is exact; pickle keeps types, so compare them too.
    return type(a) is type(b) and a == b


def run_client(conn, n):
    for i, obj in enumerate(samples(n)):
        conn.send(obj)
        back = conn.recv()
        if not same(back, obj):
            return 'mismatch at %d: sent %r got %r' % (i, obj, back)
    return 'ok %d' % n


def mode_client(a):
    with Client((a.host, a.port), authkey=a.key) as conn:
        result = run_client(conn, a.n)
    return result + answered()


def mode_unix_client(a):
    with Client(a.path, family='AF_UNIX', authkey=a.key) as conn:
        return run_client(conn, a.n) + answered()


def answered():
    if handshake312.last:
        return ' ' + ' '.join('%s=%s' % kv for kv in sorted(handshake312.last.items()))
    return ''


def mode_pipelined(a):
    with Client((a.host, a.port), authkey=a.key) as conn:
        for i in range(a.n):
            conn.send((i, 'm'))
        for i in range(a.n):
            if conn.recv() != (i, 'm'):
                return 'mismatch at %d' % i
    return 'ok %d' % a.n


def mode_listener(a):
    with Listener(('127.0.0.1', 0), authkey=a.key) as listener:
        print('port %d' % listener.address[1], flush=True)
        with listener.accept() as conn:
            while True:
                try:
                    obj = conn.recv()
                except EOFError:
                    break
                print('got %r' % (obj,), flush=True)
                if obj == 'bye':
                    conn.send('bye')
                    break
                conn.send(('ack', repr(obj)))
    return 'closed' + answered()


def mode_concurrent(a):
    errors = []
    start = threading.Barrier(a.clients)

    def one(c):
        try:
            with Client((a.host, a.port), authkey=a.key) as conn:
                start.wait(timeout=60)
                for i in range(a.messages):
                    sent = {'client': c, 'seq': i, 'data': [c] * (i % 7), 'text': 'm%d-%d' % (c, i)}
                    conn.send(sent)
                    back = conn.recv()
                    if back != sent:
                        errors.append('client %d message %d: sent %r got %r' % (c, i, sent, back))
                        return
        except Exception as e:  # noqa: BLE001 - reported to the test
            errors.append('client %d: %s: %s' % (c, type(e).__name__, e))

    threads = [threading.Thread(target=one, args=(c,)) for c in range(a.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return 'ok %d' % (a.clients * a.messages) if not errors else 'errors %d: %s' % (len(errors), errors[0])


def mode_hostile(a):
    case = a.case
    if case == 'garbage':
        # Not a multiprocessing peer at all: an HTTP request instead of a handshake.
        with socket.create_connection((a.host, a.port)) as s:
            s.sendall(b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
            s.settimeout(30)
            drain(s)
        return 'done'
    conn = Client((a.host, a.port), authkey=a.key)
    try:
        if case == 'bad-pickle':
            conn.send_bytes(b'this is not a pickle')
            conn.send('after')
            return 'done %r' % (conn.recv(),)
        if case == 'huge-length':
            conn._send(struct.pack('!i', 0x7ffffff0))
        elif case == 'escape-length':
            conn._send(struct.pack('!iQ', -1, 2**40))
        elif case == 'negative-length':
            conn._send(struct.pack('!i', -5))
        elif case == 'truncated':
            conn._send(struct.pack('!i', 1000) + pickle.dumps('only part')[:5])
            conn._send(b'')
        elif case == 'mid-message':
            conn._send(struct.pack('!i', 100_000) + b'x' * 50_000)
        else:
            return 'unknown case ' + case
        if case in ('truncated', 'mid-message'):
            return 'done'  # disconnect without the rest
        sock = socket.socket(fileno=os.dup(conn.fileno()))
        sock.settimeout(30)
        drain(sock)
        sock.close()
        return 'done'
    finally:
        conn.close()


def drain(s):
    try:
        while s.recv(65536):
            pass
    except OSError:
        pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--gen', default='3.11')
    p.add_argument('--digest', default='sha256')
    sub = p.add_subparsers(dest='mode', required=True)
    for name in ('client', 'pipelined'):
        s = sub.add_parser(name)
        s.add_argument('host'); s.add_argument('port', type=int); s.add_argument('key'); s.add_argument('n', type=int)
    s = sub.add_parser('unix-client')
    s.add_argument('path'); s.add_argument('key'); s.add_argument('n', type=int)
    s = sub.add_parser('listener')
    s.add_argument('key')
    s = sub.add_parser('concurrent')
    s.add_argument('host'); s.add_argument('port', type=int); s.add_argument('key')
    s.add_argument('clients', type=int); s.add_argument('messages', type=int)
    s = sub.add_parser('hostile')
    s.add_argument('host'); s.add_argument('port', type=int); s.add_argument('key'); s.add_argument('case')
    a = p.parse_args()
    a.key = a.key.encode('utf-8')
    if a.gen == '3.12':
        handshake312.install(a.digest)
    try:
        result = globals()['mode_' + a.mode.replace('-', '_')](a)
    except (AuthenticationError, OSError, EOFError) as e:
        result = 'error %s: %s' % (type(e).__name__, e)
    print(result, flush=True)


if __name__ == '__main__':
    main()
