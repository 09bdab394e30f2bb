// Error texts quote what the requester sent, cut short: an attribute can be as long as the server's stanza
// limit, and an answer quoting it (beside the request's copy) could pass that limit and cost us our stream.

export function clip(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
