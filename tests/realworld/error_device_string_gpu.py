import torch

device = "cuda" if torch.cuda.is_available() else "cpu"
torch.manual_seed(4)
w = torch.randn(3, device=device, requires_grad=True)
loss = (w**2).sum()
loss.backward()
print(device, w.grad)
print(torch.device("cpu:0").type, torch.device("cpu", 0))
b = torch.zeros(3, device="gpu")
