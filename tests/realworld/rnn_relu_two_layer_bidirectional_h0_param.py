torch.manual_seed(0)


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(3, 4, num_layers=2, nonlinearity="relu", bidirectional=True, batch_first=True)
        self.h0 = nn.Parameter(torch.zeros(4, 1, 4))
        self.out = nn.Linear(8, 2)

    def forward(self, x):
        h0 = self.h0.expand(-1, x.size(0), -1).contiguous()
        seq, h_n = self.rnn(x, h0)
        return self.out(seq), h_n


model = Tagger()
x = torch.randn(2, 5, 3)
tags = torch.randint(0, 2, (2, 5))
logits, h_n = model(x)
loss = F.cross_entropy(logits.reshape(-1, 2), tags.reshape(-1))
loss.backward()
print(logits.shape, h_n.shape, [n for n, _ in model.rnn.named_parameters()][-4:])
print(model.h0.grad.squeeze(1))
print(model.rnn.weight_hh_l1_reverse.grad)
