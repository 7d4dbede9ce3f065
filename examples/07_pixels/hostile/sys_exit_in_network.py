# Correct except that the PixelQNet cell is only a call of sys.exit(): the cell fails to load and the class is never
# defined, so PixelQNet's checks fail with its message and the end-to-end check, which needs the network, names it;
# every other piece keeps its points.
# expect: pixel_qnet_forward_catch: SystemExit: done here
# expect: pixel_qnet_forward_nature: SystemExit: done here
# expect: pieces_learn_catch: fix `pixel_qnet` first
# base: alice
# %% pixel_qnet
import sys

sys.exit("done here")
