/* The header as C89 (ISO C90): header_c99.c under another name. */
#define HEADER_CHECK sis_header_c89_check
#include "header_c99.c"
