# Restricted Boltzmann Machine trained with CD-k (popular GitHub gist style)
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(17)


class RBM(nn.Module):
    def __init__(self, n_vis=6, n_hin=4, k=2):
        super(RBM, self).__init__()
        self.W = nn.Parameter(torch.randn(n_hin, n_vis) * 1e-2)
        self.v_bias = nn.Parameter(torch.zeros(n_vis))
        self.h_bias = nn.Parameter(torch.zeros(n_hin))
        self.k = k

    def sample_from_p(self, p):
        return F.relu(torch.sign(p - torch.rand(p.size())))

    def v_to_h(self, v):
        p_h = torch.sigmoid(F.linear(v, self.W, self.h_bias))
        sample_h = self.sample_from_p(p_h)
        return p_h, sample_h

    def h_to_v(self, h):
        p_v = torch.sigmoid(F.linear(h, self.W.t(), self.v_bias))
        sample_v = self.sample_from_p(p_v)
        return p_v, sample_v

    def forward(self, v):
        pre_h1, h1 = self.v_to_h(v)
        h_ = h1
        for _ in range(self.k):
            pre_v_, v_ = self.h_to_v(h_)
            pre_h_, h_ = self.v_to_h(v_)
        return v, v_

    def free_energy(self, v):
        vbias_term = v.mv(self.v_bias)
        wx_b = F.linear(v, self.W, self.h_bias)
        hidden_term = wx_b.exp().add(1).log().sum(1)
        return (-hidden_term - vbias_term).mean()


rbm = RBM(k=2)
train_op = torch.optim.SGD(rbm.parameters(), 0.1)
data = torch.bernoulli(torch.full((5, 6), 0.4))
for epoch in range(3):
    loss_ = []
    v, v1 = rbm(data)
    loss = rbm.free_energy(v) - rbm.free_energy(v1)
    loss_.append(loss.data)
    train_op.zero_grad()
    loss.backward()
    train_op.step()
    print("Training loss for {} epoch: {}".format(epoch, torch.stack(loss_).mean()))
print(rbm.W.grad)
print(v1)
