import random
import torch
import torch.nn as nn

random.seed(1)
torch.manual_seed(1)
SOS, EOS = 0, 1
V, H = 7, 10


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(V, H)
        self.lstm = nn.LSTM(H, H)

    def forward(self, src):
        outputs, (hidden, cell) = self.lstm(self.embedding(src))
        return hidden, cell


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(V, H)
        self.lstm = nn.LSTM(H, H)
        self.fc_out = nn.Linear(H, V)

    def forward(self, input, hidden, cell):
        input = input.unsqueeze(0)
        embedded = self.embedding(input)
        output, (hidden, cell) = self.lstm(embedded, (hidden, cell))
        prediction = self.fc_out(output.squeeze(0))
        return prediction, hidden, cell


class Seq2Seq(nn.Module):
    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder

    def forward(self, src, trg, teacher_forcing_ratio=0.5):
        trg_len, batch_size = trg.shape
        outputs = torch.zeros(trg_len, batch_size, V)
        hidden, cell = self.encoder(src)
        input = trg[0, :]
        for t in range(1, trg_len):
            output, hidden, cell = self.decoder(input, hidden, cell)
            outputs[t] = output
            teacher_force = random.random() < teacher_forcing_ratio
            top1 = output.argmax(1)
            input = trg[t] if teacher_force else top1
        return outputs


model = Seq2Seq(Encoder(), Decoder())
optimizer = torch.optim.Adam(model.parameters())
criterion = nn.CrossEntropyLoss(ignore_index=EOS)
src = torch.randint(2, V, (5, 2))
trg = torch.cat([torch.zeros(1, 2, dtype=torch.long), torch.randint(1, V, (4, 2))])
for epoch in range(3):
    model.train()
    optimizer.zero_grad()
    output = model(src, trg)
    output_dim = output.shape[-1]
    output = output[1:].view(-1, output_dim)
    trg_flat = trg[1:].view(-1)
    loss = criterion(output, trg_flat)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1)
    optimizer.step()
    print(f'Epoch: {epoch+1:02} | Train Loss: {loss.item():.3f}')
