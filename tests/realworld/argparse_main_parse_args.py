import argparse
import sys


def get_args():
    parser = argparse.ArgumentParser(description="toy regression")
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--hidden", type=int, default=4)
    return parser.parse_args()


def main():
    args = get_args()
    print(vars(args), len(sys.argv), sys.argv[1:])
    torch.manual_seed(126)
    net = nn.Sequential(nn.Linear(1, args.hidden), nn.Tanh(), nn.Linear(args.hidden, 1))
    opt = torch.optim.SGD(net.parameters(), lr=args.lr)
    xs = torch.linspace(-1, 1, 16).unsqueeze(1)
    ys = xs.pow(3)
    for step in range(args.steps):
        opt.zero_grad()
        loss = F.mse_loss(net(xs), ys)
        loss.backward()
        opt.step()
    print(f"final loss {loss.item():.5f}")
    return net


if __name__ == "__main__":
    model = main()
    print(sys.argv[0] == __file__)
