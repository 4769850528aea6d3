import argparse
import sys

sys.argv = ["train.py", "--lr", "0.05", "--epochs", "4", "--hidden", "6", "--no-bias"]


def get_args():
    parser = argparse.ArgumentParser(description="toy regression")
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--hidden", type=int, default=16)
    parser.add_argument("--bias", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--optimizer", choices=["sgd", "adam"], default="adam")
    return parser.parse_args()


args = get_args()
print(vars(args))

torch.manual_seed(42)
model = nn.Sequential(nn.Linear(2, args.hidden, bias=args.bias), nn.Softplus(), nn.Linear(args.hidden, 1, bias=args.bias))
optim_cls = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}[args.optimizer]
optimizer = optim_cls(model.parameters(), lr=args.lr)
print(optimizer)

data = torch.randn(32, 2)
target = (data[:, :1] * data[:, 1:]).sin()
for epoch in range(1, args.epochs + 1):
    optimizer.zero_grad()
    pred = model(data)
    loss = F.smooth_l1_loss(pred, target, beta=0.5)
    loss.backward()
    optimizer.step()
    print("epoch %d/%d loss %.5f" % (epoch, args.epochs, loss))
print([n for n, _ in model.named_parameters()])
