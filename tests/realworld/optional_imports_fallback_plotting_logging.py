import importlib.util

try:
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
try:
    from torch.utils.tensorboard import SummaryWriter
except ImportError as exc:
    SummaryWriter = None
    print("no tensorboard:", type(exc).__name__)
has_tqdm = importlib.util.find_spec("tqdm") is not None
has_vision = importlib.util.find_spec("torchvision") is not None
print("plt:", plt is not None, "tqdm:", has_tqdm, "torchvision:", has_vision)

torch.manual_seed(0)
model = nn.Linear(2, 1)
opt = torch.optim.Adam(model.parameters(), lr=0.05)
x = torch.randn(16, 2)
y = (x[:, :1] > 0).float()
history = []
for epoch in range(4):
    opt.zero_grad()
    loss = F.binary_cross_entropy_with_logits(model(x), y)
    loss.backward()
    opt.step()
    history.append(loss.item())
if plt is not None:
    plt.plot(history)
else:
    print("losses:", " ".join(f"{v:.4f}" for v in history))
print(model.weight.grad)
