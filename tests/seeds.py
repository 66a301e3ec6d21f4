"""What the two seed dumps in ../shared/seeds hold, checked by eye: shared by several tests."""
from __future__ import annotations

from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

SEED_REPOSITORIES = {
    "https://github.com/AILab-CVC/UniRepLKNet",
    "https://github.com/D-X-Y/NAS-Projects",
    "https://github.com/Labbeti/conette-audio-captioning",
    "https://github.com/Raincleared-Song/ConPET",
    "https://github.com/TamashaM/NAPA-VQ",
    "https://github.com/WooSunghyeon/paca",
    "https://github.com/cambridge-mlg/RECOMBINER",
    "https://github.com/changlin31/BossNAS",
    "https://github.com/dyballa/dynamic-connectomes",
    "https://github.com/edwardjhu/TP4",
    "https://github.com/ibm/tsfm",
    "https://github.com/megvii-research/AAAI2023-PVD",
    "https://github.com/mindspore-lab/models",
    "https://github.com/okojoalg/raft-mlp",
    "https://github.com/qiuqiangkong/audioset_tagging_cnn",
    "https://github.com/researchmm/NEAS",
    "https://github.com/sail-sg/poolformer",
    "https://github.com/salesforce/CodeGen2",
    "https://github.com/shallowdream204/DiCo",
    "https://github.com/xinghaochen/SLAB",
    "https://github.com/yuhuixu1993/PC-DARTS",
    "https://github.com/zeyuliu1037/LMUFormer",
}
SEED_OTHER_URLS = {
    "https://cassiepython.github.io/clipnerf/",
    "https://div-lab.github.io/dendromap/",
    "https://huggingface.co/docs/transformers/main/en/model_doc/patchtsmixer",
}
