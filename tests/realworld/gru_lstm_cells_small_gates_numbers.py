import torch
import torch.nn as nn

torch.manual_seed(2)
gru = nn.GRU(2, 3, num_layers=1)
lstm = nn.LSTM(2, 3, bidirectional=True)
cell = nn.GRUCell(2, 3)
lcell = nn.LSTMCell(2, 3)
seq = torch.randn(4, 1, 2, requires_grad=True)
h0 = torch.zeros(1, 1, 3, requires_grad=True)
out_g, h_g = gru(seq, h0)
out_l, (h_l, c_l) = lstm(seq)
h = torch.zeros(1, 3)
hc = (torch.zeros(1, 3), torch.zeros(1, 3))
for t in range(seq.shape[0]):
    h = cell(seq[t], h)
    hc = lcell(seq[t], hc)
loss = out_g.sum() + h_l.pow(2).sum() + c_l.sum() + h.sum() + hc[1].sum() * 2
loss.backward()
print(seq.grad.squeeze(1))
print(h0.grad)
print(gru.bias_hh_l0.grad)
