"""How a document is drawn: Word, PDF, Excel, HTML, terminal, JSON and the workbook writers."""
