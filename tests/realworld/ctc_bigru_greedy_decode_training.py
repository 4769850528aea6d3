# CTC on a toy "spell the digits" task: BiGRU over frames, greedy decoding after training
torch.manual_seed(0)
BLANK = 0
n_classes = 5  # blank + 4 symbols


class CTCModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(3, 8, batch_first=True, bidirectional=True)
        self.out = nn.Linear(16, n_classes)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.out(h).log_softmax(-1)


def greedy_decode(log_probs):
    best = log_probs.argmax(-1)
    seqs = []
    for row in best.tolist():
        out, prev = [], BLANK
        for tok in row:
            if tok != prev and tok != BLANK:
                out.append(tok)
            prev = tok
        seqs.append(out)
    return seqs


frames = torch.randn(3, 8, 3)
targets = torch.tensor([1, 2, 3, 4, 4, 2, 1])
target_lengths = torch.tensor([3, 2, 2])
input_lengths = torch.tensor([8, 7, 6])
model = CTCModel()
ctc = nn.CTCLoss(blank=BLANK, zero_infinity=True)
opt = torch.optim.Adam(model.parameters(), lr=0.05)
for epoch in range(3):
    log_probs = model(frames)
    loss = ctc(log_probs.transpose(0, 1), targets, input_lengths, target_lengths)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"epoch {epoch}: ctc {loss.item():.4f}")
print(greedy_decode(model(frames).detach()))
print(model.out.bias.grad)
