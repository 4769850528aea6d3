def train(model, data, epochs=2):
    opt = torch.optim.Adam(model.parameters())
    for epoch in range(epochs):
        for x, y in data:
            pred = model(x)
            loss = F.nll_loss(F.log_softmax(pred, dim=1),
                              y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 3))
    data = [(torch.randn(4, 3), torch.tensor([0, 1, 2, 1])), (torch.randn(4, 3), torch.tensor([0., 1., 2., 1.]))]
    train(model, data)
