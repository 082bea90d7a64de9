"""The Python side of the picklejar-net benchmark; the same protocol as NetBench.java.

  python3 py_bench.py server KEY                   a Listener; prints its port; serves until 'quit'
  python3 py_bench.py client HOST PORT KEY N M [--quit]
A client prints: oneway=<messages/s> raw=<pre-pickled messages/s> p50=<us> p99=<us> rtt=<round trips/s>
"""
import pickle
import sys
import time
from multiprocessing.connection import Client, Listener

MESSAGE = (0, 'hello', 3.5)
PICKLED = pickle.dumps(MESSAGE, 4)  # sent with send_bytes: the transport without the pickler


def server(key):
    with Listener(('127.0.0.1', 0), authkey=key) as listener:
        print(listener.address[1], flush=True)
        while True:
            with listener.accept() as conn:
                count = 0
                while True:
                    try:
                        m = conn.recv()
                    except EOFError:
                        break
                    if type(m) is tuple and len(m) == 2 and m[0] == 'echo':
                        conn.send(m[1])
                    elif m == 'sync':
                        conn.send(count)
                        count = 0
                    elif m == 'quit':
                        return
                    else:
                        count += 1


def one_way(conn, n, raw=False):
    start = time.perf_counter()
    if raw:
        for _ in range(n):
            conn.send_bytes(PICKLED)
    else:
        for _ in range(n):
            conn.send(MESSAGE)
    conn.send('sync')
    counted = conn.recv()
    seconds = time.perf_counter() - start
    assert counted == n, (counted, n)
    return n / seconds


def round_trips(conn, m):
    times = []
    for i in range(m):
        t = time.perf_counter_ns()
        conn.send(('echo', i))
        back = conn.recv()
        times.append(time.perf_counter_ns() - t)
        assert back == i, (back, i)
    return times


def client(host, port, key, n, m, quit_after):
    with Client((host, port), authkey=key) as conn:
        one_way(conn, max(1, n // 4))
        rate = one_way(conn, n)
        one_way(conn, max(1, n // 4), raw=True)
        raw = one_way(conn, n, raw=True)
        round_trips(conn, max(1, m // 4))
        start = time.perf_counter()
        rtt = sorted(round_trips(conn, m))
        rtts = m / (time.perf_counter() - start)
        print('oneway=%.0f raw=%.0f p50=%.1f p99=%.1f rtt=%.0f'
              % (rate, raw, rtt[m // 2] / 1e3, rtt[int(m * 0.99)] / 1e3, rtts))
        if quit_after:
            conn.send('quit')


if __name__ == '__main__':
    if sys.argv[1] == 'server':
        server(sys.argv[2].encode())
    else:
        client(sys.argv[2], int(sys.argv[3]), sys.argv[4].encode(), int(sys.argv[5]), int(sys.argv[6]),
               '--quit' in sys.argv)
