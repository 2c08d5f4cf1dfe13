# Installed by the Makefile into .venv/etc/ipython/, which every kernel of the venv reads.
# ipykernel warns once per kernel start that it runs over TCP without encryption. The book's
# kernels listen on localhost only, and the warning, printed for every notebook of a build, buried
# the build's own messages. Only that message, matched by its exact opening text, is dropped.
import logging

UNENCRYPTED_TCP_WARNING = "Kernel is running over TCP without encryption."


class DropUnencryptedTcpWarning(logging.Filter):
    def filter(self, record):
        return not record.getMessage().startswith(UNENCRYPTED_TCP_WARNING)


logging.getLogger("IPKernelApp").addFilter(DropUnencryptedTcpWarning())
