# Partly correct: fit_theta never clears the gradients (no optimizer.zero_grad()), so from the second
# step on Adam sees the sum of all past gradients. One step is still right; longer fits are not: costs
# fit_theta_matches_reference and its end-to-end check fit_theta_solves_regressions, nothing else.
# expect: fit_theta_matches_reference: theta after 25 steps on a noisy line is not the expected value
# expect: fit_theta_solves_regressions: away from the least-squares theta
# base: alice (every other exercise cell is alice's)

# %% fit_theta
def fit_theta(x, y, theta0=0.0, lr=0.1, n_steps=100):
    theta = torch.tensor([theta0], dtype=torch.float32, device=x.device, requires_grad=True)
    optimizer = torch.optim.Adam([theta], lr=lr)
    for _ in range(n_steps):
        loss = ((theta * x - y) ** 2).mean()
        loss.backward()
        optimizer.step()
    return theta.item()
