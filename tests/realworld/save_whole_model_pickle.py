import io, pickle, copy
torch.manual_seed(3)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(4, 8), nn.ReLU())
        self.head = nn.Linear(8, 2)
    def forward(self, x):
        return self.head(self.body(x))
net = Net()
opt = torch.optim.Adam(net.parameters(), lr=0.01)
x = torch.randn(6, 4); y = torch.randint(0, 2, (6,))
for _ in range(4):
    loss = F.cross_entropy(net(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
buf = io.BytesIO()
torch.save(net, buf)
buf.seek(0)
net_copy = torch.load(buf, weights_only=False)
print(type(net_copy).__name__, torch.equal(net_copy.head.weight, net.head.weight))
blob = pickle.dumps(net.head.weight.detach())
w_back = pickle.loads(blob)
print(w_back.shape, torch.equal(w_back, net.head.weight))
opt_state = copy.deepcopy(opt.state_dict())
print(sorted(opt_state["state"][0].keys()), opt_state["state"][0]["step"])
net_deep = copy.deepcopy(net)
print(net_deep.head.weight.grad is not None, net_deep.head.weight.grad.shape)
print(net_copy.head.weight.grad is None)
logits = net_deep(x)
