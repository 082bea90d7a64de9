/**
 * PyTorch checkpoints without torch: {@link dev.picklejar.torch.TorchCheckpoint} reads what
 * {@code torch.save} wrote (the zip format and the legacy one), storages memory-mapped as
 * {@link dev.picklejar.torch.TorchStorage}s and tensors as {@link dev.picklejar.torch.Tensor}s;
 * nothing is executed.
 */
package dev.picklejar.torch;
