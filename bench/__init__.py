"""`make bench`: throughput of the real bot against a floor, both on the offline sandbox.

Layout: `common` (the sandbox server that tags calls, the timed client, the pool of people),
`real_app` (the real Application on a temporary on-disk database), `floor` (a bare PTB bot
that replays the Bot API call mix of ours with no logic and no storage), `report` (table and
`BENCH <name> <value>` lines), and one module per workload (`browse`, later registrations and
broadcasts), each with `async def run(options) -> list[Figure]`, listed in `__main__`.
"""
