"""sinkutil - what the test sinks (smtp_sink.py, http_sink.py) share."""
import os


def announce(port, port_file):
    """Say which port a sink listens on: on stdout, and in port_file
    (written under a temporary name and renamed: a reader never sees half
    a number)."""
    if port_file:
        with open(port_file + ".tmp", "w") as f:
            f.write("%d\n" % port)
        os.rename(port_file + ".tmp", port_file)
    print(port, flush=True)
