"""Live oracle for TorchCheckpointTest (run by Debian's /usr/bin/python3 with torch 1.13).

  save OUTDIR   torch.save()s zip.pt and legacy.pt (every CPU dtype, shared storages, views with
                offsets and strides, a parameter, a nested checkpoint) and writes expected.tsv:
                path dtype shape stride offset requires_grad bytes-in-C-order-hex
  check FILE    torch.load(FILE, weights_only=True) and prints the same lines for every tensor
"""
import collections
import sys

import torch


def values_hex(t):
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16:
        t = t.float()
    return t.numpy().tobytes().hex()


def lines(prefix, obj, out):
    if isinstance(obj, torch.Tensor):
        out.append('\t'.join([prefix, str(obj.dtype), ','.join(map(str, obj.shape)), ','.join(map(str, obj.stride())),
                              str(obj.storage_offset()), str(obj.requires_grad), values_hex(obj)]))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            lines((prefix + '.' if prefix else '') + str(k), v, out)
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            lines((prefix + '.' if prefix else '') + str(i), v, out)
    return out


def checkpoint():
    sd = collections.OrderedDict()
    base = torch.arange(24, dtype=torch.float32)
    for dt in [torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int64, torch.int32, torch.int16,
               torch.int8, torch.uint8, torch.bool, torch.complex64, torch.complex128]:
        name = str(dt).replace('torch.', '')
        t = (torch.arange(6) - 2).to(dt) if dt != torch.bool else torch.tensor([True, False, True, True, False, False])
        sd[name] = t.reshape(2, 3)
    sd['shared_view'] = base[5:17].reshape(3, 4)       # storage offset 5
    sd['shared_strided'] = base.reshape(4, 6)[:, ::2]  # strides (6, 2)
    sd['shared_transposed'] = base.reshape(4, 6).t()   # same storage again
    sd['scalar'] = torch.tensor(3.5)
    sd['empty'] = torch.zeros(0, 3)
    sd['param'] = torch.nn.Parameter(torch.ones(2, 2))
    return {'model': sd, 'epoch': 7, 'config': {'lr': 0.1, 'name': 'demo'}, 'optimizer': {'state': {0: {'step': torch.tensor(5.0)}}}}


def main():
    if sys.argv[1] == 'save':
        out = sys.argv[2]
        ckpt = checkpoint()
        torch.save(ckpt, out + '/zip.pt')
        torch.save(ckpt, out + '/legacy.pt', _use_new_zipfile_serialization=False)
        with open(out + '/expected.tsv', 'w') as f:
            f.write('\n'.join(lines('', ckpt, [])) + '\n')
    else:
        print('\n'.join(lines('', torch.load(sys.argv[2], weights_only=True), [])))


if __name__ == '__main__':
    main()
