package bench

import (
	"math/rand/v2"
	"strings"
)

// A vocabulary makes text in one script: words, how they are joined and
// how a sentence ends.
type vocabulary struct {
	list []string
	sep  string
	stop string
}

var (
	latinEN = &vocabulary{strings.Fields("personal data we collect use share protect retain process your rights request access consent cookies services products website account contact information controller processor transfer legal basis legitimate interest security period delete correct object complaint authority partners providers analytics marketing preferences device location purchase support newsletter"), " ", "."}
	latinDE = &vocabulary{strings.Fields("personenbezogene Daten wir erheben verwenden übermitteln schützen speichern Ihre Rechte Auskunft Einwilligung Cookies Dienste Produkte Website Konto Kontakt Verantwortlicher Auftragsverarbeiter Rechtsgrundlage berechtigtes Interesse Sicherheit Löschung Berichtigung Widerspruch Beschwerde Aufsichtsbehörde Partner Anbieter Analyse Werbung Einstellungen Gerät Standort Kauf"), " ", "."}
	latinFR = &vocabulary{strings.Fields("données personnelles nous collectons utilisons partageons protégeons conservons vos droits demande accès consentement témoins services produits site compte contact responsable sous-traitant transfert base légale intérêt légitime sécurité durée effacement rectification opposition réclamation autorité partenaires fournisseurs mesure publicité préférences appareil"), " ", "."}
	latinIT = &vocabulary{strings.Fields("dati personali raccogliamo utilizziamo condividiamo proteggiamo conserviamo diritti richiesta accesso consenso cookie servizi prodotti sito account contatto titolare responsabile trasferimento base giuridica interesse legittimo sicurezza periodo cancellazione rettifica opposizione reclamo autorità partner fornitori analisi marketing preferenze dispositivo"), " ", "."}
	latinES = &vocabulary{strings.Fields("datos personales recopilamos usamos compartimos protegemos conservamos derechos solicitud acceso consentimiento cookies servicios productos sitio cuenta contacto responsable encargado transferencia base jurídica interés legítimo seguridad plazo supresión rectificación oposición reclamación autoridad socios proveedores análisis publicidad preferencias dispositivo"), " ", "."}
	latinPT = &vocabulary{strings.Fields("dados pessoais coletamos usamos compartilhamos protegemos mantemos direitos solicitação acesso consentimento cookies serviços produtos site conta contato controlador operador transferência base legal interesse legítimo segurança prazo eliminação correção oposição reclamação autoridade parceiros fornecedores análise publicidade preferências dispositivo"), " ", "."}
	latinNL = &vocabulary{strings.Fields("persoonsgegevens wij verzamelen gebruiken delen beschermen bewaren uw rechten verzoek inzage toestemming cookies diensten producten website account contact verwerkingsverantwoordelijke verwerker doorgifte grondslag gerechtvaardigd belang beveiliging termijn verwijdering rectificatie bezwaar klacht toezichthouder partners leveranciers analyse marketing voorkeuren apparaat"), " ", "."}
	latinRO = &vocabulary{strings.Fields("date personale colectăm folosim partajăm protejăm păstrăm drepturile cerere acces consimțământ cookie servicii produse site cont contact operator persoană împuternicită transfer temei legal interes legitim securitate perioadă ștergere rectificare opoziție plângere autoritate parteneri furnizori analiză marketing preferințe dispozitiv"), " ", "."}
	latinTR = &vocabulary{strings.Fields("kişisel veriler topluyoruz kullanıyoruz paylaşıyoruz koruyoruz saklıyoruz haklarınız talep erişim rıza çerezler hizmetler ürünler site hesap iletişim sorumlu işleyen aktarım hukuki sebep meşru menfaat güvenlik süre silme düzeltme itiraz şikayet kurum ortaklar sağlayıcılar analiz pazarlama tercihler cihaz"), " ", "."}
	latinVI = &vocabulary{strings.Fields("dữ liệu cá nhân chúng tôi thu thập sử dụng chia sẻ bảo vệ lưu giữ quyền của bạn yêu cầu truy cập đồng ý cookie dịch vụ sản phẩm trang web tài khoản liên hệ bên kiểm soát bên xử lý chuyển giao cơ sở pháp lý lợi ích hợp pháp bảo mật thời hạn xóa sửa phản đối khiếu nại"), " ", "."}
	latinUZ = &vocabulary{strings.Fields("shaxsga doir ma'lumotlar yig'amiz foydalanamiz ulashamiz himoya saqlaymiz huquqlaringiz so'rov kirish rozilik cookie xizmatlar mahsulotlar sayt hisob aloqa operator uzatish huquqiy asos qonuniy manfaat xavfsizlik muddat o'chirish tuzatish e'tiroz shikoyat organ hamkorlar yetkazib beruvchilar tahlil marketing sozlamalar qurilma"), " ", "."}
	cyrRU   = &vocabulary{strings.Fields("персональные данные мы собираем используем передаём защищаем храним ваши права запрос доступ согласие файлы cookie услуги продукты сайт учётная запись контакты оператор обработчик передача правовое основание законный интерес безопасность срок удаление исправление возражение жалоба орган партнёры поставщики аналитика маркетинг настройки устройство"), " ", "."}
	cyrUK   = &vocabulary{strings.Fields("персональні дані ми збираємо використовуємо передаємо захищаємо зберігаємо ваші права запит доступ згода файли cookie послуги продукти сайт обліковий запис контакти володілець розпорядник передання правова підстава законний інтерес безпека строк видалення виправлення заперечення скарга орган партнери постачальники аналітика маркетинг налаштування пристрій"), " ", "."}
	cjkZH   = &vocabulary{strings.Fields("个人 信息 我们 收集 使用 共享 保护 存储 您的 权利 请求 访问 同意 服务 产品 网站 账户 联系 处理者 委托 传输 法律 依据 合法 利益 安全 期限 删除 更正 反对 投诉 机构 合作 伙伴 供应商 分析 营销 偏好 设备 位置"), "", "。"}
	cjkJA   = &vocabulary{strings.Fields("個人 情報 当社 収集 利用 共有 保護 保存 お客様 権利 請求 開示 同意 クッキー サービス 製品 ウェブサイト アカウント 連絡 管理者 委託先 移転 法的 根拠 正当な 利益 安全 期間 削除 訂正 異議 苦情 当局 提携 事業者 分析 広告 設定 端末"), "", "。"}
	hangul  = &vocabulary{strings.Fields("개인정보 당사는 수집 이용 제공 보호 보관 귀하의 권리 요청 열람 동의 쿠키 서비스 제품 웹사이트 계정 연락처 처리자 수탁자 이전 법적 근거 정당한 이익 안전 기간 삭제 정정 반대 민원 감독기관 파트너 공급업체 분석 마케팅 설정 기기"), " ", "."}
	thai    = &vocabulary{strings.Fields("ข้อมูล ส่วนบุคคล เรา เก็บรวบรวม ใช้ เปิดเผย ปกป้อง จัดเก็บ สิทธิ ของคุณ คำขอ เข้าถึง ความยินยอม คุกกี้ บริการ ผลิตภัณฑ์ เว็บไซต์ บัญชี ติดต่อ ผู้ควบคุม ผู้ประมวลผล การโอน ฐานทางกฎหมาย ประโยชน์ โดยชอบ ความปลอดภัย ระยะเวลา ลบ แก้ไข คัดค้าน ร้องเรียน หน่วยงาน พันธมิตร ผู้ให้บริการ วิเคราะห์ การตลาด"), "", " "}
)

func vocabularyFor(lang string) *vocabulary {
	switch lang {
	case "de":
		return latinDE
	case "fr":
		return latinFR
	case "it":
		return latinIT
	case "es":
		return latinES
	case "pt":
		return latinPT
	case "nl":
		return latinNL
	case "ro":
		return latinRO
	case "tr":
		return latinTR
	case "vi":
		return latinVI
	case "uz":
		return latinUZ
	case "ru":
		return cyrRU
	case "uk":
		return cyrUK
	case "zh":
		return cjkZH
	case "ja":
		return cjkJA
	case "ko":
		return hangul
	case "th":
		return thai
	}
	return latinEN
}

func (v *vocabulary) words(rng *rand.Rand, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(v.sep)
		}
		b.WriteString(v.list[rng.IntN(len(v.list))])
	}
	return b.String()
}

// sentence returns n words, capitalised where the script has case.
func (v *vocabulary) sentence(rng *rand.Rand, n int) string {
	s := v.words(rng, n)
	if r := []rune(s); len(r) > 0 {
		up := strings.ToUpper(string(r[0]))
		s = up + string(r[1:])
	}
	return s + v.stop
}

func (v *vocabulary) paragraph(rng *rand.Rand, sentences int) string {
	var b strings.Builder
	for i := range sentences {
		if i > 0 && v.stop != " " {
			b.WriteString(" ")
		}
		b.WriteString(v.sentence(rng, 8+rng.IntN(12)))
	}
	return strings.TrimSpace(b.String())
}
