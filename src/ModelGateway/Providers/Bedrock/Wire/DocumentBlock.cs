namespace ModelGateway.Providers.Bedrock.Wire;

/// <summary>A document: <c>format</c> (pdf, csv, doc, docx, xls, xlsx, html, txt, md), a neutral <c>name</c> and its bytes.</summary>
internal sealed class DocumentBlock
{
    public string? Format { get; set; }

    public string? Name { get; set; }

    public BytesSource? Source { get; set; }
}
