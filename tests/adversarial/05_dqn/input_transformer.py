# Registers an IPython input transformer that turns every later cell into `pass`. Must score 0.
# %% eval_dqn
get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\n"])
