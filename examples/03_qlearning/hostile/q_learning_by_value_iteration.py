# alice's work, but q_learning_mdp returns the given model-based q_value_iteration's history instead of learning from samples: must lose both q_learning_mdp checks (21/25).
# expect: q_learning_mdp_matches_reference: with the same rng your history differs from t
# expect: q_learning_mdp_converges:
# base: alice
# %% q_learning_mdp
def q_learning_mdp(n_iterations, alpha0, decay, gamma, rng):
    return q_value_iteration(gamma, n_iterations)
