# Scripts that set up their own stdout: reconfigure(line_buffering=True) (so logs appear at once under nohup),
# the encoding and isatty checks, then training logs.
import sys

sys.stdout.reconfigure(line_buffering=True)
print(sys.stdout.line_buffering, sys.stdout.encoding, sys.stdout.isatty())
torch.manual_seed(0)
model = nn.Linear(2, 1)
loss = model(torch.randn(3, 2)).pow(2).sum()
loss.backward()
print(f"loss={loss.item():.4f}", model.weight.grad)
