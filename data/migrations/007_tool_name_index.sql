-- Tools by name across servers: a tool page's "similar tools" (the same name elsewhere, then the names
-- beside it that share its first word) read this instead of expanding a full-text prefix, which cost
-- ~2.5 ms a page on a 700,000-tool catalogue.
CREATE INDEX tools_name ON tools(name, server_id);
