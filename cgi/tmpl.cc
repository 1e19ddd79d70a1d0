/*
 * autosched: the only C++ file: a C API over Google ctemplate (see tmpl.h).
 *
 * TemplateDictionary pointers cross into C as the opaque struct tmpl_dict. Nothing here
 * throws: ctemplate reports errors by return values, and allocation failure ends the
 * program as everywhere else.
 */
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include <ctemplate/template.h>

extern "C" {
#include "base.h"
}
#include "tmpl.h"

using ctemplate::StaticTemplateString;
using ctemplate::StaticTemplateStringInitializer;
using ctemplate::TemplateDictionary;
using ctemplate::TemplateString;

/*
 * Names of values and sections, hashed once. A page sets thousands of values under a few
 * dozen names, nearly all string literals; ctemplate hashes a plain name anew each time and
 * records it in its global table under a lock: a tenth of the work of a 100-row page.
 * Names are kept by address, with a copy of their text checked on every use, so a name
 * built in a reused buffer is never mistaken for another: it takes another slot, or
 * ctemplate's own way when the probes run out. (The programs are single-threaded; so is
 * this table.)
 */
#define KEY_SLOTS	512		/* a power of two */
#define KEY_PROBES	8

static struct key_slot {
	const char		*ptr;		/* the caller's pointer, NULL for a free slot */
	char			*text;		/* our copy */
	StaticTemplateString	 sts;
} keys[KEY_SLOTS];

static TemplateString
K(const char *name)
{
	size_t		 h = (reinterpret_cast<uintptr_t>(name) >> 3) & (KEY_SLOTS - 1), i;
	struct key_slot	*k;

	for (i = 0; i < KEY_PROBES; i++) {
		k = &keys[(h + i) & (KEY_SLOTS - 1)];
		if (k->ptr == name && strcmp(k->text, name) == 0)
			return TemplateString(k->sts);
		if (k->ptr == NULL) {
			k->text = xstrdup(name);
			k->sts = StaticTemplateString{ { k->text, strlen(k->text), 0 } };
			StaticTemplateStringInitializer init(&k->sts);	/* sets its id */
			k->ptr = name;
			return TemplateString(k->sts);
		}
	}
	return TemplateString(name);
}

static TemplateDictionary *
D(struct tmpl_dict *d)
{
	return reinterpret_cast<TemplateDictionary *>(d);
}

static struct tmpl_dict *
C(TemplateDictionary *d)
{
	return reinterpret_cast<struct tmpl_dict *>(d);
}

int
tmpl_init(const char *dir, const char *const *files)
{
	if (!ctemplate::mutable_default_template_cache()->SetTemplateRootDirectory(dir)) {
		log_warnx("templates: cannot use folder '%s'", dir);
		return -1;
	}
	for (; *files != NULL; files++)
		if (!ctemplate::LoadTemplate(*files, ctemplate::STRIP_BLANK_LINES)) {
			log_warnx("templates: '%s/%s' is missing or broken", dir, *files);
			return -1;
		}
	/* Loaded once: do not look at the files again for each request. */
	ctemplate::mutable_default_template_cache()->Freeze();
	return 0;
}

struct tmpl_dict *
tmpl_dict_new(void)
{
	return C(new TemplateDictionary("page"));
}

void
tmpl_dict_free(struct tmpl_dict *d)
{
	delete D(d);
}

void
tmpl_set(struct tmpl_dict *d, const char *key, const char *value)
{
	D(d)->SetValue(K(key), value ? value : "");
}

void
tmpl_setf(struct tmpl_dict *d, const char *key, const char *fmt, ...)
{
	struct buf	 b = BUF_INIT;
	va_list		 ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	D(d)->SetValue(K(key), TemplateString(b.data, b.len));
	buf_release(&b);
}

void
tmpl_set_int(struct tmpl_dict *d, const char *key, long long value)
{
	D(d)->SetIntValue(K(key), static_cast<long>(value));
}

void
tmpl_set_global(struct tmpl_dict *d, const char *key, const char *value)
{
	D(d)->SetTemplateGlobalValue(key, value ? value : "");
}

void
tmpl_show(struct tmpl_dict *d, const char *section)
{
	D(d)->ShowSection(K(section));
}

struct tmpl_dict *
tmpl_section(struct tmpl_dict *d, const char *section)
{
	return C(D(d)->AddSectionDictionary(K(section)));
}

struct tmpl_dict *
tmpl_include(struct tmpl_dict *d, const char *name, const char *file)
{
	TemplateDictionary	*sub = D(d)->AddIncludeDictionary(name);

	sub->SetFilename(file);
	return C(sub);
}

int
tmpl_render(const char *file, struct tmpl_dict *d, struct buf *out)
{
	std::string	 s;

	if (!ctemplate::ExpandTemplate(file, ctemplate::STRIP_BLANK_LINES, D(d), &s)) {
		log_warnx("templates: cannot render '%s'", file);
		return -1;
	}
	buf_add(out, s.data(), s.size());
	return 0;
}
