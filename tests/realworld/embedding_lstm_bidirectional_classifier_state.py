import torch
import torch.nn as nn

torch.manual_seed(0)


class TextClassifier(nn.Module):
    def __init__(self, vocab_size=20, embed_dim=6, hidden=5, n_classes=3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.lstm = nn.LSTM(embed_dim, hidden, num_layers=2, bidirectional=True, batch_first=True, dropout=0.0)
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(hidden * 2, n_classes)

    def forward(self, text):
        embedded = self.dropout(self.embedding(text))
        output, (hidden, cell) = self.lstm(embedded)
        hidden = self.dropout(torch.cat((hidden[-2, :, :], hidden[-1, :, :]), dim=1))
        return self.fc(hidden)


model = TextClassifier()
print(model)
print(f'The model has {sum(p.numel() for p in model.parameters() if p.requires_grad):,} trainable parameters')
tokens = torch.randint(0, 20, (3, 7))
labels = torch.tensor([0, 2, 1])
optimizer = torch.optim.Adam(model.parameters())
criterion = nn.CrossEntropyLoss()
for epoch in range(3):
    model.train()
    optimizer.zero_grad()
    predictions = model(tokens)
    loss = criterion(predictions, labels)
    loss.backward()
    optimizer.step()
    print(f'\tTrain Loss: {loss.item():.3f}')
model.eval()
with torch.no_grad():
    print(model(tokens).argmax(1))
print(list(model.state_dict().keys())[:5])
