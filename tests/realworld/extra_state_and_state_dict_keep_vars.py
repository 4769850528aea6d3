# A module with extra state (get_extra_state / set_extra_state: a vocabulary and a step counter saved in the state
# dict), state_dict(keep_vars=True) giving the parameters themselves, and a legacy _load_from_state_dict override that
# renames an old key.
torch.manual_seed(0)


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(3, 2)
        self.vocab = ["<pad>", "a", "b"]
        self.steps = 0

    def get_extra_state(self):
        return {"vocab": list(self.vocab), "steps": self.steps}

    def set_extra_state(self, state):
        self.vocab = state["vocab"]
        self.steps = state["steps"]

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        old = prefix + "linear.weight"
        if old in state_dict:
            state_dict[prefix + "proj.weight"] = state_dict.pop(old)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def forward(self, x):
        self.steps += 1
        return self.proj(x)


model = Tagger()
x = torch.randn(4, 3)
loss = model(x).pow(2).mean()
loss.backward()
sd = model.state_dict()
print(list(sd), sd["_extra_state"])
kept = model.state_dict(keep_vars=True)
print(kept["proj.weight"] is model.proj.weight, kept["proj.weight"].grad is not None, sd["proj.weight"].requires_grad)
old_style = {"linear.weight": torch.ones(2, 3), "proj.bias": torch.zeros(2), "_extra_state": {"vocab": ["x"], "steps": 7}}
other = Tagger()
print(other.load_state_dict(old_style))
print(other.vocab, other.steps, other.proj.weight)
out = other(x).sum()
out.backward()
print(other.proj.weight.grad, other.steps)
