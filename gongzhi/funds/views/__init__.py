"""Funds pages, one module per part (see gongzhi.funds.urls)."""
