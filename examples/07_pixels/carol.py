# Partly correct: FrameStack keeps its frames in one preallocated array, shifts it in place and returns that array
# itself. Each state is right when returned, but changes when the stack moves on. Training acts on each state at
# once, so the agent still learns; only the check that keeps earlier states sees it.
# expect: frame_stack_states_stay_as_returned: a state returned earlier changed
# base: alice
# %% frame_stack
class FrameStack:
    def __init__(self, history: int = 4):
        self.history = history
        self.stack = None

    def reset(self, frame):
        self.stack = np.repeat(frame[None], self.history, axis=0)
        return self.stack

    def step(self, frame):
        self.stack[:-1] = self.stack[1:]
        self.stack[-1] = frame
        return self.stack
