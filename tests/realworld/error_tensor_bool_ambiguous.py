torch.manual_seed(146)
model = nn.Linear(3, 2)
x = torch.randn(4, 3)
out = model(x)
loss = out.pow(2).mean()
loss.backward()
print(loss)
if loss < 10:
    print("small loss")
scores = out.softmax(dim=1)
if scores.max(dim=1).values > 0.5:
    print("confident")
