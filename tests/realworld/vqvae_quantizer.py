# Vector quantizer from a VQ-VAE tutorial (straight-through estimator)
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(3)


class VectorQuantizer(nn.Module):
    def __init__(self, num_embeddings, embedding_dim, commitment_cost):
        super(VectorQuantizer, self).__init__()
        self._embedding_dim = embedding_dim
        self._num_embeddings = num_embeddings
        self._embedding = nn.Embedding(self._num_embeddings, self._embedding_dim)
        self._embedding.weight.data.uniform_(-1 / self._num_embeddings, 1 / self._num_embeddings)
        self._commitment_cost = commitment_cost

    def forward(self, inputs):
        inputs = inputs.permute(0, 2, 3, 1).contiguous()
        input_shape = inputs.shape
        flat_input = inputs.view(-1, self._embedding_dim)
        distances = (torch.sum(flat_input ** 2, dim=1, keepdim=True)
                     + torch.sum(self._embedding.weight ** 2, dim=1)
                     - 2 * torch.matmul(flat_input, self._embedding.weight.t()))
        encoding_indices = torch.argmin(distances, dim=1).unsqueeze(1)
        encodings = torch.zeros(encoding_indices.shape[0], self._num_embeddings)
        encodings.scatter_(1, encoding_indices, 1)
        quantized = torch.matmul(encodings, self._embedding.weight).view(input_shape)
        e_latent_loss = F.mse_loss(quantized.detach(), inputs)
        q_latent_loss = F.mse_loss(quantized, inputs.detach())
        loss = q_latent_loss + self._commitment_cost * e_latent_loss
        quantized = inputs + (quantized - inputs).detach()
        avg_probs = torch.mean(encodings, dim=0)
        perplexity = torch.exp(-torch.sum(avg_probs * torch.log(avg_probs + 1e-10)))
        return loss, quantized.permute(0, 3, 1, 2).contiguous(), perplexity, encodings


encoder = nn.Conv2d(1, 2, 3, padding=1)
decoder = nn.Conv2d(2, 1, 3, padding=1)
vq = VectorQuantizer(num_embeddings=4, embedding_dim=2, commitment_cost=0.25)
params = list(encoder.parameters()) + list(decoder.parameters()) + list(vq.parameters())
optimizer = torch.optim.Adam(params, lr=1e-2, amsgrad=False)

x = torch.rand(2, 1, 4, 4)
for step in range(3):
    optimizer.zero_grad()
    z = encoder(x)
    vq_loss, quantized, perplexity, _ = vq(z)
    x_recon = decoder(quantized)
    recon_error = F.mse_loss(x_recon, x) / 0.1
    loss = recon_error + vq_loss
    loss.backward()
    optimizer.step()
    print(f"step {step}: recon {recon_error.item():.4f} vq {vq_loss.item():.4f} ppl {perplexity.item():.3f}")

print(vq._embedding.weight.grad)
print(encoder.weight.grad.norm())
