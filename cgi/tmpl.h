/*
 * autosched: the C face of ctemplate (cgi/tmpl.cc, the only C++ in the tree, linked only
 * into the dashboard).
 *
 * Templates live in one folder (the configuration's [web] templates) and each begins with
 * {{%AUTOESCAPE context="HTML"}}: every value is escaped for where it lands (text,
 * attribute, URL), so C code never escapes HTML by hand. All are loaded and checked at
 * start; a broken one stops the program before it serves anything.
 *
 * A dictionary holds the values of one rendering; sections and includes are child
 * dictionaries owned by their parent (borrowed pointers, valid until tmpl_dict_free of
 * the root).
 */
#ifndef TMPL_H
#define TMPL_H

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

struct buf;
struct tmpl_dict;

/*
 * Sets the template folder and loads the NULL-terminated list of files. Returns 0, or -1
 * after logging which template is missing or broken.
 */
int		 tmpl_init(const char *dir, const char *const *files);
/* A new root dictionary (free with tmpl_dict_free). */
struct tmpl_dict *tmpl_dict_new(void);
void		 tmpl_dict_free(struct tmpl_dict *);
void		 tmpl_set(struct tmpl_dict *, const char *key, const char *value);
void		 tmpl_setf(struct tmpl_dict *, const char *key, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
void		 tmpl_set_int(struct tmpl_dict *, const char *key, long long value);
/* Sets a value seen by every section and include of the rendering (template-global). */
void		 tmpl_set_global(struct tmpl_dict *, const char *key, const char *value);
/* Shows a section once, with the parent's values. */
void		 tmpl_show(struct tmpl_dict *, const char *section);
/* Adds one repetition of a section; returns its dictionary (borrowed). */
struct tmpl_dict *tmpl_section(struct tmpl_dict *, const char *section);
/* Includes template `file` at marker {{>name}}; returns its dictionary (borrowed). */
struct tmpl_dict *tmpl_include(struct tmpl_dict *, const char *name, const char *file);
/* Renders `file` with d, appending to out. Returns 0, or -1 (logged). */
int		 tmpl_render(const char *file, struct tmpl_dict *d, struct buf *out);

#ifdef __cplusplus
}
#endif

#endif
