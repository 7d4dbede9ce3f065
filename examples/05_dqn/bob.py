# Partly correct: DuelingQNet.forward forgets to subtract the mean advantage; only that check should fail.
# base: alice (every other exercise cell is alice's)

# %% dueling
class DuelingQNet(nn.Module):
    """Dueling Q-network: Q(s, a) = V(s) + A(s, a) - mean_b A(s, b)."""

    def __init__(self, obs_dim: int, n_actions: int, hidden_size: int = 128):
        super().__init__()
        self.body = nn.Sequential(
            nn.Linear(obs_dim, hidden_size), nn.ReLU(),
            nn.Linear(hidden_size, hidden_size), nn.ReLU(),
        )
        self.value_head = nn.Linear(hidden_size, 1)
        self.advantage_head = nn.Linear(hidden_size, n_actions)

    def forward(self, states: torch.Tensor) -> torch.Tensor:
        """states (B, obs_dim) -> Q-values (B, n_actions)."""
        hidden = self.body(states)
        a = self.advantage_head(hidden)
        return a + self.value_head(hidden)

