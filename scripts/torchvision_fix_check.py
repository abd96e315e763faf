#!/usr/bin/env python3
"""torchvision round trip of `fixres fix` (docs/fix.md, "torchvision check").

  prepare ROOT  an ImageFolder of RGB JPEGs (ROOT/data/{train,val}/<class>/*.jpg, 64 px) made from
                Fashion-MNIST, a torchvision resnet18(num_classes=10) trained briefly at 48 px with
                RandomResizedCrop, saved as ROOT/resnet18.npz (numpy.savez of its state_dict: what
                `fixres import` reads; this Python has no safetensors package)
  check ROOT    loads the safetensors file `fixres fix --export` wrote (ROOT/fixed.safetensors) into
                a fresh torchvision resnet18 with load_state_dict(strict=True), evaluates it on
                ROOT/data/val at the resolution fix chose (ROOT/fixed/fix.json) with the same
                preprocessing as fixres (antialiased bilinear resize of the shorter side to
                floor(K / 0.875), centre crop K, ImageNet mean/std), and compares top-1 and the
                per-image outcomes with fixres's

Each phase runs torch: on a small machine run it alone (no fixres command at the same time), and the
fixres commands between the phases separately.
"""
import gzip
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torchvision
from PIL import Image
from torchvision.transforms import functional as F

CLASSES = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot"]
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
SIDE = 64          # side of the JPEGs
TRAIN_RES = 48     # training resolution of the network
PER_CLASS = {"train": 300, "val": 100}


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def make_image_folder(root):
    src = os.environ.get("FASHION_MNIST", "/usr/share/datasets/fashion-mnist")
    for split, prefix in (("train", "train"), ("val", "t10k")):
        images = idx(os.path.join(src, prefix + "-images-idx3-ubyte.gz"))
        labels = idx(os.path.join(src, prefix + "-labels-idx1-ubyte.gz"))
        counts = [0] * 10
        for i, (image, label) in enumerate(zip(images, labels)):
            if counts[label] >= PER_CLASS[split]:
                continue
            counts[label] += 1
            folder = os.path.join(root, "data", split, "%d-%s" % (label, CLASSES[label]))
            os.makedirs(folder, exist_ok=True)
            rgb = Image.fromarray(image).convert("RGB").resize((SIDE, SIDE), Image.BILINEAR)
            rgb.save(os.path.join(folder, "%05d.jpg" % i), quality=90)
            if min(counts) >= PER_CLASS[split]:
                break


def loader(folder, transform, batch, shuffle):
    data = torchvision.datasets.ImageFolder(folder, transform=transform)
    return torch.utils.data.DataLoader(data, batch_size=batch, shuffle=shuffle, num_workers=0)


def prepare(root):
    torch.manual_seed(0)
    torch.set_num_threads(2)
    make_image_folder(root)
    train = torchvision.transforms.Compose([
        torchvision.transforms.RandomResizedCrop(TRAIN_RES), torchvision.transforms.RandomHorizontalFlip(),
        torchvision.transforms.ToTensor(), torchvision.transforms.Normalize(MEAN, STD)])
    net = torchvision.models.resnet18(num_classes=10)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    epochs = 6
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, epochs)
    for epoch in range(epochs):
        net.train()
        total, right, loss_sum = 0, 0, 0.0
        for x, y in loader(os.path.join(root, "data", "train"), train, 64, True):
            optimizer.zero_grad()
            out = net(x)
            loss = torch.nn.functional.cross_entropy(out, y)
            loss.backward()
            optimizer.step()
            total += len(y)
            right += (out.argmax(1) == y).sum().item()
            loss_sum += loss.item() * len(y)
        scheduler.step()
        print("epoch %d: loss %.4f train top-1 %.2f%%" % (epoch + 1, loss_sum / total, 100.0 * right / total), flush=True)
    np.savez(os.path.join(root, "resnet18.npz"),
             **{k: v.detach().numpy() for k, v in net.state_dict().items()})
    print("wrote %s (%d tensors), trained at %d px" % (os.path.join(root, "resnet18.npz"), len(net.state_dict()), TRAIN_RES))


def read_safetensors(path):
    """A minimal safetensors reader (header length, JSON header, raw little-endian data)."""
    dtypes = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32, "F16": np.float16}
    with open(path, "rb") as f:
        header_len = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(header_len))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype=dtypes[entry["dtype"]]).reshape(entry["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors


def fixres_test_transform(k, crop_ratio):
    """fixres's test transform: shorter side to floor(k / crop_ratio) (antialiased bilinear), centre crop k."""
    size = int(math.floor(k / crop_ratio + 1e-9))

    def transform(image):
        x = F.to_tensor(image)
        x = F.resize(x, size, interpolation=F.InterpolationMode.BILINEAR, antialias=True)
        x = F.center_crop(x, [k, k])
        return F.normalize(x, MEAN, STD)
    return transform


def check(root):
    torch.set_num_threads(2)
    report = json.load(open(os.path.join(root, "fixed", "fix.json")))
    k = report["chosen_res"]
    net = torchvision.models.resnet18(num_classes=10)
    missing_unexpected = net.load_state_dict(read_safetensors(os.path.join(root, "fixed.safetensors")), strict=True)
    print("load_state_dict(strict=True):", missing_unexpected)
    net.eval()
    right, total = 0, 0
    with torch.no_grad():
        for x, y in loader(os.path.join(root, "data", "val"), fixres_test_transform(k, 0.875), 100, False):
            right += (net(x).argmax(1) == y).sum().item()
            total += len(y)
    torch_top1 = 100.0 * right / total
    fixres_top1 = report["after_at_chosen_res"]["top1"]
    print("chosen resolution %d px: torchvision top-1 %.2f%% on %d images, fixres top-1 %.2f%% on %d images: %s"
          % (k, torch_top1, total, fixres_top1, report["after_at_chosen_res"]["images"],
             "equal" if abs(torch_top1 - fixres_top1) < 1e-9 else "DIFFERENT (%+.2f)" % (torch_top1 - fixres_top1)))
    return 0 if abs(torch_top1 - fixres_top1) < 1e-9 else 1


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("prepare", "check"):
        sys.exit(__doc__)
    sys.exit(prepare(sys.argv[2]) if sys.argv[1] == "prepare" else check(sys.argv[2]))
