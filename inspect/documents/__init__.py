"""Official documents in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I), shared by every
domain: one description of a document (``model``) rendered as .docx (``docx_layout``) and
as print-ready HTML (``html_layout``)."""
