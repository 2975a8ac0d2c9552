/* pdf_encap.c — tunnels, encapsulations and capture interfaces in words (pdf_encap.h).
 *
 * A layer is worded by the template encap.layer.<kind> (encap.layer.<kind>-id when a GRE key,
 * an ERSPAN session or a VXLAN VNI is present), whose placeholders are its outer addresses as
 * the segment carried them ({src}, {dst}) and as seen from the session ({near}: the client's
 * side, {far}: the server's; the same words for both directions of a tunnel that swaps its
 * addresses on the way back), its UDP ports, its id and MPLS labels. Lists are joined by
 * list.next, so that each language chooses its comma. */
#include "pdf_encap.h"

#include <stdio.h>
#include <string.h>

enum { INTERFACES_SHOWN = 6 };

static void copy(char *out, const char *s)
{
    snprintf(out, PDF_WORDS_LEN, "%s", s);
}

/* The words for one layer of direction dir. */
static const char *layer_words(struct pdf_words *w, const struct encap_layer *l, int dir)
{
    const char *name = encap_kind_name((enum encap_kind)l->kind);
    bool with_id = l->has_id && (l->kind == ENCAP_GRE || l->kind == ENCAP_ERSPAN || l->kind == ENCAP_VXLAN);
    char key[48], labels[64] = "";
    snprintf(key, sizeof key, "encap.layer.%s%s", name, with_id ? "-id" : "");
    for (int i = 0; l->kind == ENCAP_MPLS && i < l->n_labels && i < ENCAP_MAX_LABELS; i++) {
        size_t n = strlen(labels);
        snprintf(labels + n, sizeof labels - n, "%s%u", i ? " " : "", l->labels[i]);
    }
    if (l->n_labels > ENCAP_MAX_LABELS) {
        size_t n = strlen(labels);
        snprintf(labels + n, sizeof labels - n, " ...");
    }
    const char *src = l->ip_version ? pdf_format_ip(w, l->ip_version, l->src) : "";
    const char *dst = l->ip_version ? pdf_format_ip(w, l->ip_version, l->dst) : "";
    return T(w, key, {"src", src}, {"dst", dst}, {"near", dir == DIR_C2S ? src : dst},
             {"far", dir == DIR_C2S ? dst : src}, {"sport", pdf_fmt(w, "%u", l->sport)},
             {"dport", pdf_fmt(w, "%u", l->dport)}, {"id", pdf_format_u32(w, l->id)}, {"labels", labels});
}

const char *pdf_encap_path(struct pdf_words *w, const struct session *s, int dir, char *out)
{
    out[0] = '\0';
    if (!s->encap || !s->encap->seen[dir])
        return out;
    size_t n;
    const struct encap_layer *l = session_encap_path(s, dir, &n);
    if (!n) {
        copy(out, T0(w, "encap.bare"));
        return out;
    }
    copy(out, layer_words(w, &l[0], dir));
    for (size_t i = 1; i < n; i++)
        copy(out, T(w, "encap.inside", {"outer", out}, {"inner", layer_words(w, &l[i], dir)}));
    return out;
}

/* Appends item to the list in out, joined by the template's list.next. */
static void list_add(struct pdf_words *w, char *out, const char *item)
{
    if (!out[0])
        copy(out, item);
    else
        copy(out, T(w, "list.next", {"list", out}, {"item", item}));
}

bool pdf_encap_counts(struct pdf_words *w, const struct capture_report *r, char *out)
{
    char kinds[PDF_WORDS_LEN] = "";
    uint64_t encapsulated = r->n_sessions - r->encap_counts[ENCAP_NONE];
    out[0] = '\0';
    if (!encapsulated)
        return false;
    for (int k = 1; k < ENCAP_KINDS; k++) {
        if (!r->encap_counts[k])
            continue;
        char key[48];
        snprintf(key, sizeof key, "encap.kind.%s", encap_kind_name((enum encap_kind)k));
        list_add(w, kinds, T(w, "encap.count", {"count", pdf_format_count(w, r->encap_counts[k])},
                             {"kind", T0(w, key)}));
    }
    copy(out, T(w, "field.encapsulations-value", {"count", pdf_format_count(w, encapsulated)},
                {"total", pdf_format_count(w, r->n_sessions)}, {"kinds", kinds}));
    return true;
}

const char *pdf_encap_format(struct pdf_words *w, const struct capture_report *r)
{
    const char *precision = T0(w, r->ts_digits == 9 ? "precision.ns" : "precision.us");
    if (r->n_interfaces <= 1)
        return T(w, "field.format-value", {"format", r->format}, {"link", r->link_name},
                 {"dlt", pdf_fmt(w, "%d", r->link_type)}, {"precision", precision});
    char list[PDF_WORDS_LEN] = "";
    for (size_t i = 0; i < r->n_interfaces && i < INTERFACES_SHOWN; i++) {
        const struct capture_interface *f = &r->interfaces[i];
        char name[sizeof f->name * 3 + 1];
        pdf_valid_utf8(f->name, name, sizeof name); /* a stranger's bytes */
        const char *dlt = pdf_fmt(w, "%d", f->link_type);
        list_add(w, list, name[0] ? T(w, "interface.item-named", {"name", name}, {"link", f->link_name}, {"dlt", dlt})
                                  : T(w, "interface.item", {"link", f->link_name}, {"dlt", dlt}));
    }
    if (r->n_interfaces > INTERFACES_SHOWN)
        copy(list, T(w, "interfaces.more", {"list", list},
                     {"count", pdf_format_count(w, r->n_interfaces - INTERFACES_SHOWN)}));
    return T(w, "field.format-interfaces", {"format", r->format}, {"count", pdf_format_count(w, r->n_interfaces)},
             {"interfaces", list}, {"precision", precision});
}
