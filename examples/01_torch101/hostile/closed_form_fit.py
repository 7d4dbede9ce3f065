# fit_theta skips the optimisation and returns the least-squares answer in closed form, sum(x y) / sum(x x),
# whatever n_steps says. It must earn nothing: the trajectory check and the end-to-end check (which sees theta
# travel farther in 10 steps than Adam can) both fail.
# expect: fit_theta_matches_reference: is not the expected value
# expect: fit_theta_solves_regressions: farther than Adam can
# base: alice
# %% fit_theta
def fit_theta(x, y, theta0=0.0, lr=0.1, n_steps=100):
    return float((x * y).sum() / (x * x).sum())
