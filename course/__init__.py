"""An autograded reinforcement learning course: notebook helpers, grading engine, command line."""
