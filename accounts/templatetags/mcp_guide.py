"""`{% mcp_guide as guide %}`: the MCP server's tools and resources for /agents/, read from the server
itself (aimusicstore/mcp/server.py), so the page lists what /mcp really offers."""

from django import template

register = template.Library()


@register.simple_tag
def mcp_guide():
    from aimusicstore.mcp.server import RESOURCE_GUIDE, TOOL_GUIDE

    return {"tools": TOOL_GUIDE, "resources": RESOURCE_GUIDE}
