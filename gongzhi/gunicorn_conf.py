"""Gunicorn settings shared by `gongzhi serve` and the intake benchmark (`--config python:gongzhi.gunicorn_conf`).

`reuse_port`: each worker process listens on its own SO_REUSEPORT socket and the kernel spreads new connections
over them evenly (gunicorn >= 23). On one shared socket the workers race for each new connection, and kept-alive
connections stay with the worker that won them: 20 clients connecting at once were seen split 16 to 4, and since
both processes get the same CPU, the crowded one answered four times slower. With SO_REUSEPORT a second server
started on the same port would share it silently instead of failing, so `gongzhi serve` first checks that the
port is free.
"""

reuse_port = True
