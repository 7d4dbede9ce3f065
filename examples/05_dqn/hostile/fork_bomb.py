# Correct except that DuelingQNet.forward forks without end: the process limit stops it.
# expect: dueling_forward: BlockingIOError: [Errno 11] Resource temporar
# base: alice
# %% dueling
SOLUTION_REGION = """
        import os
        while True:
            if os.fork() == 0:
                while True:
                    os.fork()
"""
