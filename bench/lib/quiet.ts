/** Import first: the handlers' Powertools Logger reads its level when it is first imported. */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
