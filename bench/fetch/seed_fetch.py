"""The seed's example: download several pages at once with asyncio.create_task, asyncio.gather and
aiohttp, timed. Run by run.sh with Debian's python3 (the one python3-aiohttp installs for):

    /usr/bin/python3 seed_fetch.py URLS_FILE CONCURRENCY ROUNDS

The connector's limit is the concurrency, as aiohttp users cap it. One session serves every round,
so later rounds reuse warm connections, as picklejar's warmed-up fetcher does. Prints the pages per
second of each round, one number a line.
"""
import asyncio
import sys
import time

import aiohttp


async def fetch(session, url):
    async with session.get(url) as response:
        return response.status, await response.text()


async def main(urls, concurrency, rounds):
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        for _ in range(rounds):
            start = time.perf_counter()
            tasks = [asyncio.create_task(fetch(session, url)) for url in urls]
            pages = await asyncio.gather(*tasks)
            seconds = time.perf_counter() - start
            bad = sum(1 for status, _ in pages if status != 200)
            if bad:
                sys.exit(f"seed_fetch: {bad} of {len(urls)} pages did not answer 200")
            print(f"{len(urls) / seconds:.0f}", flush=True)


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        urls = [line.strip() for line in f if line.strip()]
    asyncio.run(main(urls, int(sys.argv[2]), int(sys.argv[3])))
